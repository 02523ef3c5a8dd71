// Replays every input kept in fuzz/regressions/<reader>/ (inputs the fuzzers once crashed on,
// and hand-made malformed files) through the same code the fuzzers run: each must end in a
// clean error or a clean read, never a crash, a failed allocation or a sanitizer report.
#include <QDirIterator>
#include <QTest>

#include <fstream>
#include <map>
#include <new>

#include "../fuzz/reader_exercises.h"

using namespace signcut;

class FuzzRegressionsTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void everyKeptInputIsHandledCleanly() {
        const std::map<QString, void (*)(const std::uint8_t*, std::size_t)> readers = {
            {"scd", fuzz::exercise_scd}, {"scdz", fuzz::exercise_scdz},   {"npy", fuzz::exercise_npy},
            {"csv", fuzz::exercise_csv}, {"image", fuzz::exercise_image}, {"safetensors", fuzz::exercise_safetensors}};
        int replayed = 0;
        for (const auto& [name, exercise] : readers) {
            QDirIterator files(QString(SIGNCUT_SOURCE_DIR) + "/fuzz/regressions/" + name, QDir::Files);
            while (files.hasNext()) {
                const QString path = files.next();
                std::ifstream in(path.toStdString(), std::ios::binary);
                const std::vector<std::uint8_t> bytes{std::istreambuf_iterator<char>(in), {}};
                try {
                    exercise(bytes.data(), bytes.size());
                } catch (const std::bad_alloc&) {
                    QFAIL(qPrintable(path + ": an allocation failed; the reader must refuse such an input with a "
                                            "clear error before allocating"));
                }
                ++replayed;
            }
        }
        QVERIFY2(replayed >= 6, "fuzz/regressions/ should hold at least one input per reader");
    }
};

QTEST_MAIN(FuzzRegressionsTest)
#include "test_fuzz_regressions.moc"
