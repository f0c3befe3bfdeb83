// The native side of the comparison: the same stb.c that build.sh compiles to stb.wasm, built for this machine
// (run.sh), fed the inputs StbFuzzTests dumped (WSM_STB_FUZZ_DUMP) with the same request: stbi_load_from_memory
// with 0 desired channels, then stbir_resize_uint8 to a thumbnail whose longer side is 32, as StbRequest does.
//
// A child process serves the inputs in order and publishes the index it is on in shared memory. When the child
// dies (a signal, or AddressSanitizer's exit after a report) that input is counted as a crash; when the index
// stops moving for the hang limit the child is killed and the input counted as a hang. A new child then goes on
// from the next input. Prints one line per crash or hang and the totals.
//
//   driver <input folder> [hang seconds, default 10]
#define _GNU_SOURCE
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "stb.c"

enum { DECODED, REFUSED, RESIZE_REFUSED, UNREADABLE, OUTCOMES };

struct shared {
  volatile long current;
  volatile long outcomes[OUTCOMES];
};

static int is_input(const struct dirent *entry) {
  size_t length = strlen(entry->d_name);
  return length > 4 && strcmp(entry->d_name + length - 4, ".bin") == 0;
}

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec / 1e9;
}

// The thumbnail size StbRequest.ThumbnailSize computes.
static void thumbnail_size(int width, int height, int *tw, int *th) {
  const long side = 32;
  if (width <= side && height <= side) {
    *tw = width;
    *th = height;
  } else if (width >= height) {
    *tw = side;
    *th = height * side / width > 1 ? (int)(height * side / width) : 1;
  } else {
    *tw = width * side / height > 1 ? (int)(width * side / height) : 1;
    *th = side;
  }
}

static int serve(const char *path) {
  FILE *file = fopen(path, "rb");
  if (!file) return UNREADABLE;
  fseek(file, 0, SEEK_END);
  long length = ftell(file);
  fseek(file, 0, SEEK_SET);
  unsigned char *data = malloc(length > 0 ? length : 1);
  size_t read = fread(data, 1, length, file);
  fclose(file);
  if ((long)read != length) {
    free(data);
    return UNREADABLE;
  }

  int width, height, channels;
  unsigned char *pixels = stbi_load_from_memory(data, (int)length, &width, &height, &channels, 0);
  free(data);
  if (!pixels) return REFUSED;
  int tw, th;
  thumbnail_size(width, height, &tw, &th);
  unsigned char *thumbnail = malloc((size_t)tw * th * channels);
  int resized = thumbnail && stbir_resize_uint8(pixels, width, height, 0, thumbnail, tw, th, 0, channels);
  free(thumbnail);
  stbi_image_free(pixels);
  return resized ? DECODED : RESIZE_REFUSED;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: %s <input folder> [hang seconds]\n", argv[0]);
    return 2;
  }

  double hang_limit = argc > 2 ? atof(argv[2]) : 10;
  struct dirent **names;
  int count = scandir(argv[1], &names, is_input, alphasort);
  if (count < 0) {
    perror(argv[1]);
    return 2;
  }

  struct shared *shared = mmap(NULL, sizeof *shared, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  long crashes = 0, hangs = 0, children = 0;
  double started = now();
  for (long next = 0; next < count;) {
    shared->current = next;
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
      char path[4096];
      for (long i = next; i < count; i++) {
        shared->current = i;
        snprintf(path, sizeof path, "%s/%s", argv[1], names[i]->d_name);
        shared->outcomes[serve(path)]++;
      }
      _exit(0);
    }

    children++;
    long seen = next;
    double moved = now();
    for (;;) {
      int status;
      if (waitpid(child, &status, WNOHANG) == child) {
        if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
          next = count;
        } else {
          long at = shared->current;
          crashes++;
          if (WIFSIGNALED(status)) {
            printf("crash %s: signal %d (%s)\n", names[at]->d_name, WTERMSIG(status), strsignal(WTERMSIG(status)));
          } else {
            printf("crash %s: exit code %d (a sanitizer report)\n", names[at]->d_name, WEXITSTATUS(status));
          }
          next = at + 1;
        }
        break;
      }

      long at = shared->current;
      if (at != seen) {
        seen = at;
        moved = now();
      } else if (now() - moved > hang_limit) {
        kill(child, SIGKILL);
        waitpid(child, &status, 0);
        hangs++;
        printf("hang %s: no progress for %.0f s\n", names[at]->d_name, hang_limit);
        next = at + 1;
        break;
      }

      usleep(1000);
    }
  }

  printf("inputs %d: decoded and resized %ld, refused by stb %ld, resizes refused %ld, unreadable %ld, crashed %ld, hung %ld; %ld child processes, %.1f s\n",
         count, shared->outcomes[DECODED], shared->outcomes[REFUSED], shared->outcomes[RESIZE_REFUSED], shared->outcomes[UNREADABLE],
         crashes, hangs, children, now() - started);
  return 0;
}
