// zlib, for decoding PNG screenshots in tests (Debian: zlib1g-dev).
#include <zlib.h>
