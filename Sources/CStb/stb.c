#define STB_IMAGE_WRITE_IMPLEMENTATION
#define STB_TRUETYPE_IMPLEMENTATION
#define STB_IMAGE_IMPLEMENTATION
/* only the decoders glTF textures and the tests' PNGs need, and no image larger than this per
   side (the loader also checks Limits.textureSize from the header first) */
#define STBI_ONLY_PNG
#define STBI_ONLY_JPEG
#define STBI_MAX_DIMENSIONS 8192
#include "CStb.h"
