// libFuzzer target for the image reader: see reader_exercises.h.
#include "reader_exercises.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    signcut::fuzz::exercise_image(data, size);
    return 0;
}
