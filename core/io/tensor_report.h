#pragma once
// One tensor of a compressed checkpoint: what was done to it (the method, or why it was kept),
// what that achieved, and where its payload lies in the .scdz file. compress_model fills it in
// as it works, the .scdz index stores it (io/scdz_file.h), and reading the file gives it back.

#include <cstdint>
#include <string>

#include "tensor/tensor.h"

namespace signcut {

struct TensorReport {
    std::string name;
    std::string dtype;         // of the source tensor (a safetensors dtype name)
    Shape shape;               // of the source tensor
    bool decomposed = false;   // a method's payload; otherwise the raw source bytes
    std::string kept_because;  // for tensors kept as they are (not stored in .scdz)
    std::string method;        // of decomposed tensors: a method of the registry (methods/method.h) whose
                               // stored form the payload is ("scd", an .scd file, the only one of .scdz
                               // version 1; version 2's "rtn" is methods/rtn_payload.h)
    // For decomposed tensors: the shape that was decomposed (a matrix, or the tensor itself)
    // and what the decomposition achieved.
    Shape decomposed_shape;
    std::size_t width = 0;
    double bits_per_entry = 0.0;  // stored bits / entries (for raw tensors: the dtype's bits)
    double relative_error = 0.0;
    double seconds = 0.0;           // of computing it; stored only in .scdz version 1 (0 when read from version 2)
    double budget = 0.0;            // bits per entry it was given (uniform, or its share of a global budget)
    std::size_t entries_apart = 0;  // entries its payload keeps apart (methods/entries_apart.h)
    std::string runner_up;          // --method best: the second lowest error's method, and that error
    double runner_up_error = 0.0;
    std::string fallback_because;    // why it is not stored by the method asked for
    std::uint64_t stored_bytes = 0;  // of the payload
    // Of the run that computed it, not stored in .scdz:
    std::string shard;     // "K/N" of the process that computed it, empty for a plain run
    bool resumed = false;  // finished by an earlier, interrupted run (or another process)
    // In a .scdz file: where the payload starts and its CRC-32.
    std::uint64_t offset = 0;
    std::uint32_t crc32 = 0;
};

}  // namespace signcut
