#ifndef CSTB_H
#define CSTB_H
#include <stb/stb_image_write.h>
#include <stb/stb_truetype.h>
#include <stb/stb_image.h>
#endif
