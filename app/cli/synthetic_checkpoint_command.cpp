// signcut-cli synthetic-checkpoint OUT.safetensors|DIR: a reproducible checkpoint with the
// tensor names and shapes of a small Llama-style transformer, for trying compress-model; one
// file, or (with --max-shard-size) a Hugging Face folder of shards with its index.
#include <cmath>

#include "cli/cli_support.h"
#include "cli/commands.h"
#include "io/safetensors_file.h"
#include "io/sharded_safetensors_writer.h"
#include "tensor/random_tensor.h"

namespace signcut::cli {

int synthetic_checkpoint_command(const QStringList& arguments) {
    QCommandLineParser parser;
    parser.setApplicationDescription(
        "Writes a .safetensors checkpoint shaped like a Llama-style transformer: per layer the q, k, v, o\n"
        "projections (H x H), gate and up (I x H), down (H x I) and two norms (H), then a final norm.\n"
        "Matrix entries are N(0, 1/columns) (Gaussian weights: the hardest case for signed cuts), norms are 1.\n"
        "With --max-shard-size, OUT is a folder of Hugging Face shards with model.safetensors.index.json.");
    parser.addPositionalArgument("OUT", "the .safetensors file (or with --max-shard-size the folder) to write");
    parser.addOptions({
        {"layers", "Transformer layers (default 4).", "N", "4"},
        {"hidden", "Hidden size H (default 1024).", "H", "1024"},
        {"intermediate", "MLP size I (default 2816).", "I", "2816"},
        {"dtype", "bf16, f16 or f32 (default bf16).", "DTYPE", "bf16"},
        {"seed", "Random seed (default 1).", "S", "1"},
        {"max-shard-size", "Write a folder of shards of at most this many tensor bytes (e.g. 100MB).", "SIZE"},
    });
    if (!parse_or_throw(parser, arguments)) return 0;
    const QString out = single_positional(parser, "OUT");
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
    const std::map<std::string, std::string> metadata{{"format", "pt"},
                                                      {"generator", "signcut-cli synthetic-checkpoint"}};
    const auto write_all = [&](auto& writer) {
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
    };
    if (parser.isSet("max-shard-size")) {
        std::uint64_t max_shard_bytes = 0;
        try {
            max_shard_bytes = parse_byte_size(parser.value("max-shard-size").toStdString());
        } catch (const std::invalid_argument& error) {
            throw UsageError(std::string("--max-shard-size: ") + error.what());
        }
        ShardedSafetensorsWriter writer(out.toStdString(), specs, metadata, max_shard_bytes);
        write_all(writer);
        print_line(QString("wrote %1 (%2 shards and model.safetensors.index.json)").arg(out).arg(writer.shard_count()));
        return 0;
    }
    SafetensorsWriter writer(out.toStdString(), specs, metadata);
    write_all(writer);
    print_line("wrote " + out);
    return 0;
}

}  // namespace signcut::cli
