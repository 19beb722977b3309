#define BEFORE 1
#include "1027-not-there.h"
