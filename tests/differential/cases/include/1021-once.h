#pragma once
#ifdef ONCE_SEEN_1021
#undef READS
#define READS 2
#else
#define ONCE_SEEN_1021
#define READS 1
#endif
