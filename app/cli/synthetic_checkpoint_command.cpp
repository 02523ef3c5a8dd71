// signcut-cli synthetic-checkpoint OUT.safetensors: a reproducible checkpoint with the tensor
// names and shapes of a small Llama-style transformer, for trying compress-model.
#include <cmath>

#include "cli/cli_support.h"
#include "cli/commands.h"
#include "io/safetensors_file.h"
#include "tensor/random_tensor.h"

namespace signcut::cli {

int synthetic_checkpoint_command(const QStringList& arguments) {
    QCommandLineParser parser;
    parser.setApplicationDescription(
        "Writes a .safetensors checkpoint shaped like a Llama-style transformer: per layer the q, k, v, o\n"
        "projections (H x H), gate and up (I x H), down (H x I) and two norms (H), then a final norm.\n"
        "Matrix entries are N(0, 1/columns) (Gaussian weights: the hardest case for signed cuts), norms are 1.");
    parser.addPositionalArgument("OUT.safetensors", "the checkpoint to write");
    parser.addOptions({
        {"layers", "Transformer layers (default 4).", "N", "4"},
        {"hidden", "Hidden size H (default 1024).", "H", "1024"},
        {"intermediate", "MLP size I (default 2816).", "I", "2816"},
        {"dtype", "bf16, f16 or f32 (default bf16).", "DTYPE", "bf16"},
        {"seed", "Random seed (default 1).", "S", "1"},
    });
    if (!parse_or_throw(parser, arguments)) return 0;
    const QString out = single_positional(parser, "OUT.safetensors");
    const std::size_t layers = parse_count(parser, "layers"), hidden = parse_count(parser, "hidden"),
                      intermediate = parse_count(parser, "intermediate");
    const std::string dtype = parser.value("dtype").toUpper().toStdString();
    if (dtype != "BF16" && dtype != "F16" && dtype != "F32") throw UsageError("--dtype takes bf16, f16 or f32");
    if (hidden == 0 || intermediate == 0 || hidden > 65536 || intermediate > 262144 || layers > 1024)
        throw UsageError("sizes out of range");
    std::uint64_t seed = parse_count(parser, "seed");

    std::vector<SafetensorsSpec> specs;
    for (std::size_t l = 0; l < layers; ++l) {
        const std::string p = "model.layers." + std::to_string(l) + ".";
        for (const char* name : {"self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj", "self_attn.o_proj"})
            specs.push_back({p + name + ".weight", dtype, {hidden, hidden}});
        specs.push_back({p + "mlp.gate_proj.weight", dtype, {intermediate, hidden}});
        specs.push_back({p + "mlp.up_proj.weight", dtype, {intermediate, hidden}});
        specs.push_back({p + "mlp.down_proj.weight", dtype, {hidden, intermediate}});
        specs.push_back({p + "input_layernorm.weight", dtype, {hidden}});
        specs.push_back({p + "post_attention_layernorm.weight", dtype, {hidden}});
    }
    specs.push_back({"model.norm.weight", dtype, {hidden}});
    SafetensorsWriter writer(out.toStdString(), specs, {{"format", "pt"}, {"generator", "signcut-cli synthetic-checkpoint"}});
    for (const SafetensorsSpec& spec : specs) {
        if (spec.shape.size() == 1) {
            writer.write_next(Tensor(spec.shape, std::vector<float>(spec.shape[0], 1.0f)));
            continue;
        }
        Tensor weights = gaussian_tensor(spec.shape, seed++);
        const float scale = 1.0f / std::sqrt(float(spec.shape[1]));
        for (float& x : weights.data()) x *= scale;
        writer.write_next(weights);
    }
    writer.commit();
    print_line("wrote " + out);
    return 0;
}

}  // namespace signcut::cli
