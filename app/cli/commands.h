#pragma once
// The signcut-cli commands; each takes its arguments (its own name first) and returns
// the exit status.

#include <QStringList>

namespace signcut::cli {

int decompose_command(const QStringList& arguments);
int info_command(const QStringList& arguments);
int reconstruct_command(const QStringList& arguments);
int gaussian_command(const QStringList& arguments);
int bench_command(const QStringList& arguments);
int compare_command(const QStringList& arguments);

}  // namespace signcut::cli
