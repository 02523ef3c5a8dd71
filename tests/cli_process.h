#pragma once
// Runs signcut-cli (the path in SIGNCUT_CLI, defined for the tests that use it) to the end and
// keeps its exit status and output.
#include <QProcess>
#include <QStringList>
#include <QTest>

#include <functional>

#include "test_support.h"

struct Run {
    int status = -1;  // -1: crashed, killed, hung or not started
    QByteArray out, err;
};

inline Run cli(const QStringList& arguments, int timeout_ms = 120000) {
    QProcess process;
    process.start(SIGNCUT_CLI, arguments);
    if (!process.waitForFinished(timeout_ms)) {
        // A process that never ran or never ended fails the test (its exit code would read 0).
        const QString why = process.state() == QProcess::NotRunning
                                ? "could not start: " + process.errorString()
                                : QString("did not finish within %1 s and was killed").arg(timeout_ms / 1000);
        process.kill();
        process.waitForFinished();
        const QByteArray message = ("signcut-cli " + arguments.join(' ') + ": " + why).toUtf8();
        QTest::qFail(message.constData(), __FILE__, __LINE__);
        return {-1, {}, message};
    }
    return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1, process.readAllStandardOutput(),
            process.readAllStandardError()};
}

// Starts signcut-cli, polls `reached` every few milliseconds (up to a minute, times
// testing::time_scale()) and kills the process as soon as it holds, as a user's Ctrl-C or a lost
// node would. Returns whether `reached` held before the process was killed.
inline bool kill_cli_when(const QStringList& arguments, const std::function<bool()>& reached) {
    QProcess process;
    process.start(SIGNCUT_CLI, arguments);
    if (!process.waitForStarted()) return false;
    bool held = false;
    for (int i = 0; i < 6000 * signcut::testing::time_scale() && !held; ++i) {
        QTest::qWait(10);
        held = reached();
    }
    process.kill();
    process.waitForFinished();
    return held;
}
