#pragma once
// Shared pieces of the signcut-cli commands: argument parsing and output.

#include <QCommandLineParser>
#include <QJsonObject>
#include <QStringList>

#include <stdexcept>
#include <string>
#include <vector>

#include "tensor/tensor.h"

#include "scd/cut_engine.h"
#include "scd/outliers.h"

namespace signcut::cli {

// A bad command line: reported with the usage and exit status 2.
class UsageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Adds --help, parses `arguments` (the command name first) or throws UsageError.
// Returns false when --help was asked for (the help is then printed).
bool parse_or_throw(QCommandLineParser& parser, const QStringList& arguments);
// The single positional argument called `name`, or UsageError.
QString single_positional(const QCommandLineParser& parser, const char* name);

double parse_double(const QCommandLineParser& parser, const QString& option);
std::size_t parse_count(const QCommandLineParser& parser, const QString& option);
// --outliers auto|0|K (scd/outliers.h).
OutlierPolicy parse_outliers(const QCommandLineParser& parser);
// --memory auto|fast|low (EngineMemory, scd/cut_engine.h).
EngineMemory parse_engine_memory(const QCommandLineParser& parser);

// --bits: a comma-separated list of positive budgets.
std::vector<double> parse_budgets(const QString& text);
// --size: N (an N × N matrix) or ROWSxCOLS (more x-separated sizes for higher orders).
Shape parse_shape(const QString& text);

void print_json(const QJsonObject& object);
// Writes a line to stdout.
void print_line(const QString& text);

}  // namespace signcut::cli
