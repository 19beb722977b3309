// A header struct named as a kernel type: the header's definition wins, as in the script.
struct file {
  int x;
};
