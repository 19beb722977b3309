/* Conditional blocks, comments and line continuations in a header.
#define HIDDEN 1
*/
#define VERSION 3
#define LONG_SUM \
  (VERSION + \
   4)

#if 0
struct never { int x; };
#define A 0
#elif VERSION >= 3 && defined(VERSION) && !defined UNDEFINED_1022
#define A 1
#elif VERSION == 2
#define A 2
#else
#define A 3
#endif

#if UNDEFINED_NAME_1022 // an unknown name is 0
#define B 1
#elif (VERSION << 1) == 6 && \
      LONG_SUM == 7
#define B 2
#else
#define B 3
#endif

#ifdef BPFTRACE_HAVE_BTF
#define BTF 1
#else
#define BTF 0
#endif

#ifndef VERSION
#define C 1
#else
# define C 2 /* spaces after the '#' */
#endif

#if defined(HIDDEN)
#define D 1
#else
#define D 0
#endif

#if VERSION > 2
struct sized { char pad[VERSION * 4]; };
#else
struct sized { char pad[1]; };
#endif
