#pragma once
// Runs signcut-cli (the path in SIGNCUT_CLI, defined for the tests that use it) to the end and
// keeps its exit status and output.
#include <QProcess>
#include <QStringList>

struct Run {
    int status = -1;  // -1: crashed or killed
    QByteArray out, err;
};

inline Run cli(const QStringList& arguments) {
    QProcess process;
    process.start(SIGNCUT_CLI, arguments);
    process.waitForFinished(120000);
    return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1, process.readAllStandardOutput(),
            process.readAllStandardError()};
}
