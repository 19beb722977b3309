#define WHERE 2
