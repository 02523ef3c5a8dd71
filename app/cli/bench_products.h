#pragma once
// signcut-cli bench --products (bench_products.cpp): its options are bench's.

#include <QCommandLineParser>

namespace signcut::cli {

int bench_products(const QCommandLineParser& parser);

}  // namespace signcut::cli
