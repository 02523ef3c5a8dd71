// libFuzzer target for the scdz reader: see reader_exercises.h.
#include "reader_exercises.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    signcut::fuzz::exercise_scdz(data, size);
    return 0;
}
