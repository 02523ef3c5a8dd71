#include "cli/cli_support.h"

#include <QJsonDocument>

#include <cstdio>
#include <stdexcept>

#include "methods/comparison.h"

namespace signcut::cli {

bool parse_or_throw(QCommandLineParser& parser, const QStringList& arguments) {
    const QCommandLineOption help = parser.addHelpOption();
    if (!parser.parse(arguments)) throw UsageError(parser.errorText().toStdString());
    if (!parser.isSet(help)) return true;
    std::fputs(parser.helpText().toUtf8().constData(), stdout);
    return false;
}

QString single_positional(const QCommandLineParser& parser, const char* name) {
    const QStringList positional = parser.positionalArguments();
    if (positional.size() != 1) throw UsageError(std::string("expected exactly one ") + name);
    return positional.front();
}

double parse_double(const QCommandLineParser& parser, const QString& option) {
    bool ok = false;
    const double value = parser.value(option).toDouble(&ok);
    if (!ok) throw UsageError(("--" + option + " needs a number, not '" + parser.value(option) + "'").toStdString());
    return value;
}

std::size_t parse_count(const QCommandLineParser& parser, const QString& option) {
    bool ok = false;
    const qulonglong value = parser.value(option).toULongLong(&ok);
    if (!ok)
        throw UsageError(
            ("--" + option + " needs a non-negative whole number, not '" + parser.value(option) + "'").toStdString());
    return std::size_t(value);
}

OutlierPolicy parse_outliers(const QCommandLineParser& parser) {
    try {
        return parse_outlier_policy(parser.value("outliers").toStdString());
    } catch (const std::invalid_argument& error) {
        throw UsageError(std::string("--") + error.what());
    }
}

EngineMemory parse_engine_memory(const QCommandLineParser& parser) {
    const auto memory = parse_enum<EngineMemory>(parser.value("memory").toStdString());
    if (!memory) throw UsageError("--memory takes " + enum_choices<EngineMemory>());
    return *memory;
}

void print_json(const QJsonObject& object) {
    std::fputs(QJsonDocument(object).toJson(QJsonDocument::Compact).constData(), stdout);
    std::fputc('\n', stdout);
}

void print_line(const QString& text) {
    std::fputs(text.toUtf8().constData(), stdout);
    std::fputc('\n', stdout);
}

std::vector<double> parse_budgets(const QString& text) {
    try {
        return parse_budget_list(text.toStdString());
    } catch (const std::invalid_argument& error) {
        throw UsageError(std::string("--bits: ") + error.what());
    }
}

Shape parse_shape(const QString& text) {
    Shape shape;
    for (const QString& part : text.split('x')) {
        bool ok = false;
        const qulonglong n = part.toULongLong(&ok);
        if (!ok || n == 0) throw UsageError(("bad size '" + text + "' (use N or ROWSxCOLS)").toStdString());
        shape.push_back(std::size_t(n));
    }
    if (shape.size() == 1) shape.push_back(shape.front());
    return shape;
}

}  // namespace signcut::cli
