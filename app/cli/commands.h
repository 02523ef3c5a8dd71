#pragma once
// The signcut-cli commands; each takes its arguments (its own name first) and returns
// the exit status.

#include <QStringList>

namespace signcut::cli {

int decompose_command(const QStringList& arguments);
int info_command(const QStringList& arguments);
int reconstruct_command(const QStringList& arguments);
int product_command(const QStringList& arguments);
int gaussian_command(const QStringList& arguments);
int bench_command(const QStringList& arguments);
int compare_command(const QStringList& arguments);
int compress_model_command(const QStringList& arguments);
int expand_model_command(const QStringList& arguments);
int synthetic_checkpoint_command(const QStringList& arguments);
int animate_command(const QStringList& arguments);
// The summary of a .scdz file (what `info` prints for one).
int model_info_command(const QString& path, bool json);

}  // namespace signcut::cli
