#include "1028-cycle-b.h"
