#define LIMIT 3
#define STEP 2
