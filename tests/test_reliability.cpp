// Reliability: memory guards refuse before allocating, non-finite input is refused or
// replaced, and a writer killed mid-write leaves the old file intact.
#include <QTemporaryDir>
#include <QTest>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <thread>

#include "io/file_access.h"
#include "io/scd_file.h"
#include "scd/decomposer.h"
#include "tensor/memory_guard.h"
#include "tensor/random_tensor.h"
#include "test_support.h"

using namespace signcut;
namespace fs = std::filesystem;

namespace {

// Sets SIGNCUT_MEMORY_LIMIT_MB for one scope.
class MemoryLimit {
public:
    explicit MemoryLimit(const char* mib) { ::setenv("SIGNCUT_MEMORY_LIMIT_MB", mib, 1); }
    ~MemoryLimit() { ::unsetenv("SIGNCUT_MEMORY_LIMIT_MB"); }
};

}  // namespace

class ReliabilityTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void memoryGuardsRefuseBeforeAllocating() {
        QTemporaryDir dir;
        // A saved decomposition of a huge shape with no cuts is a tiny file.
        const Decomposition huge({20000, 20000}, CoeffPrecision::f32, 1.0);
        const std::string scd = dir.filePath("huge.scd").toStdString();
        write_scd(scd, huge);
        const std::string big_file = dir.filePath("big.bin").toStdString();
        write_file_atomically(big_file, std::vector<char>(3 << 20, 'x'));
        {
            const MemoryLimit limit("2");
            QCOMPARE(memory_limit_bytes(), std::uint64_t(2) << 20);
            try {
                (void)read_scd(scd).reconstruct(0);  // 1.6 GB of floats
                QFAIL("not refused");
            } catch (const ResourceError& error) {
                QVERIFY(std::string(error.what()).find("above the memory limit of 2 MiB") != std::string::npos);
            }
            // Too large even without Rᵀ (a 600² matrix now runs in under 2 MiB beside its input).
            QVERIFY_THROWS_EXCEPTION(ResourceError, Decomposer(gaussian_tensor({800, 800}, 1), {}));
            QVERIFY_THROWS_EXCEPTION(ResourceError, read_file_bytes(big_file));
        }
        QVERIFY(memory_limit_bytes() > (std::uint64_t(64) << 20));  // the machine's own bound again
        QCOMPARE(read_file_bytes(big_file).size(), std::size_t(3 << 20));
    }

    void nonFiniteInputIsRefusedOrReplaced() {
        Tensor a = gaussian_tensor({10, 12}, 2);
        a[3] = std::nanf("");
        a[7] = INFINITY;
        try {
            Decomposer decomposer(a, {});
            QFAIL("not refused");
        } catch (const std::invalid_argument& error) {
            QVERIFY(std::string(error.what()).find("2 NaN or infinite entries") != std::string::npos);
        }
        QCOMPARE(replace_non_finite(a, 0.0f), std::size_t(2));
        QCOMPARE(count_non_finite(a), std::size_t(0));
        DecomposeOptions options;
        options.stop.width = 5;
        QCOMPARE(decompose(a, options).width(), std::size_t(5));
    }

    // A child process writes a new version of a file and is killed half way: the old version
    // is still there, whole, and no partial file carries the name.
    void aWriterKilledMidWriteLeavesTheOldFileIntact() {
        QTemporaryDir dir;
        const fs::path path = dir.filePath("result.scd").toStdString();
        DecomposeOptions options;
        options.stop.width = 7;
        const Decomposition old = decompose(gaussian_tensor({30, 20}, 4), options);
        write_scd(path, old);
        const std::uintmax_t old_size = fs::file_size(path);

        const pid_t child = ::fork();
        if (child == 0) {
            AtomicFileWriter writer(path);
            const std::vector<char> chunk(1 << 16, 'z');
            for (;;) {  // never finishes: killed while writing
                writer.write(chunk.data(), chunk.size());
                ::usleep(1000);
            }
        }
        QVERIFY(child > 0);
        // Wait until the temporary file is being written (the child writes for ever), then kill.
        bool writing = false;
        for (int i = 0; i < 500 * testing::time_scale() && !writing; ++i) {
            for (const auto& entry : fs::directory_iterator(dir.path().toStdString()))
                if (entry.path().filename().string().rfind(".result.scd.tmp-", 0) == 0 &&
                    fs::file_size(entry.path()) > 0)
                    writing = true;
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
        ::kill(child, SIGKILL);
        int status = 0;
        ::waitpid(child, &status, 0);
        QVERIFY(writing);
        QVERIFY(WIFSIGNALED(status));
        QCOMPARE(fs::file_size(path), old_size);
        const Decomposition reread = read_scd(path);  // checksum and all: the old file, whole
        QCOMPARE(reread.width(), old.width());
        QCOMPARE(reread.coeffs()[6], old.coeffs()[6]);
    }
};

QTEST_MAIN(ReliabilityTest)
#include "test_reliability.moc"
