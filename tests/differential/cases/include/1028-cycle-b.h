#define CYCLE 1
#include "1028-cycle-a.h"
