// stb_image, stb_image_resize and stb_image_write from Debian's libstb-dev, as they are: this file only turns
// the three headers into one translation unit. build.sh compiles it into ../stb.wasm and exports the functions
// the sample calls; their signatures are the headers' own.
//
// STBI_NO_STDIO and STBI_WRITE_NO_STDIO drop the FILE* entry points: the module decodes and encodes in memory
// only, so it needs no file system.
#define STBI_NO_STDIO
#define STBI_WRITE_NO_STDIO
#define STB_IMAGE_IMPLEMENTATION
#define STB_IMAGE_RESIZE_IMPLEMENTATION
#define STB_IMAGE_WRITE_IMPLEMENTATION
#include <stb/stb_image.h>
#include <stb/stb_image_resize.h>
#include <stb/stb_image_write.h>
