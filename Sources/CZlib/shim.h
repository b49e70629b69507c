// zlib (Debian: zlib1g-dev): deflate for the Ray packages (Cluster) and PNG decoding in the tests.
#include <zlib.h>
