#pragma once
// signcut-cli bench --trellis (bench_trellis.cpp): its options are bench's.

#include <QCommandLineParser>

namespace signcut::cli {

int bench_trellis(const QCommandLineParser& parser);

}  // namespace signcut::cli
