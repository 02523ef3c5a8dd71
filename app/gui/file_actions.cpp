#include "file_actions.h"

#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenu>
#include <QMessageBox>
#include <QSettings>

#include <algorithm>
#include <cmath>
#include <span>

#include "charts/chart_export.h"
#include "io/file_access.h"
#include "io/file_formats.h"
#include "io/image_file.h"

namespace signcut::gui {
namespace {

// Inputs above this many entries get an offer to downscale (images) or are refused (arrays):
// beyond it the explorer stops being interactive on a laptop.
constexpr std::size_t kInteractiveEntries = std::size_t(4) << 20;
constexpr int kMaxRecent = 8;

// Images and arrays from files; Qt resources (":/signcut/chelsea.png", the bundled cat) read
// through QFile and decoded from memory.
LoadedInput load_file_or_resource(const QString& path) {
    if (!path.startsWith(":/")) return load_input(path.toStdString());
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) throw FileError(path.toStdString(), "no such resource");
    const QByteArray bytes = file.readAll();
    LoadedImage image =
        decode_image(std::span<const char>(bytes.constData(), std::size_t(bytes.size())), path.toStdString());
    return {std::move(image.tensor), InputKind::image, std::move(image.notes)};
}

}  // namespace

FileActions::FileActions(QWidget* window) : QObject(window), window_(window) {}

QString FileActions::ask_open_path(const QString& near) const {
    return QFileDialog::getOpenFileName(window_, tr("Open"), working_folder(near),
                                        QString::fromStdString(open_dialog_filter()));
}

void FileActions::set_recent_menu(QMenu* menu) {
    recent_menu_ = menu;
    rebuild_recent_menu();
}

std::shared_ptr<LoadedInput> FileActions::load_checked(const QString& path) {
    auto input = std::make_shared<LoadedInput>(load_file_or_resource(path));
    if (!confirm_finite(*input, path) || !confirm_size(*input, path)) return nullptr;
    return input;
}

int first_tensor_to_show(const std::vector<TensorReport>& reports) {
    int worst = -1;
    for (int i = 0; i < int(reports.size()); ++i)
        if (reports[std::size_t(i)].decomposed && reports[std::size_t(i)].method == "scd" &&
            (worst < 0 || reports[std::size_t(i)].relative_error > reports[std::size_t(worst)].relative_error))
            worst = i;
    return worst;
}

bool FileActions::confirm_finite(LoadedInput& input, const QString& path) {
    const std::size_t count = count_non_finite(input.tensor);
    if (count == 0) return true;
    const QString problem =
        tr("%1 has %2 NaN or infinite entries, which cannot be decomposed.").arg(QFileInfo(path).fileName()).arg(count);
    if (!dialogs_enabled_ ||
        QMessageBox::question(window_, tr("Non-finite values"), problem + tr("\n\nReplace them by 0 and go on?"),
                              QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel) != QMessageBox::Yes) {
        Q_EMIT failed(problem + tr(" Nothing was loaded."));
        return false;
    }
    replace_non_finite(input.tensor, 0.0f);
    input.notes.push_back(tr("%1 NaN or infinite entries replaced by 0").arg(count).toStdString());
    return true;
}

bool FileActions::confirm_size(LoadedInput& input, const QString& path) {
    const std::size_t entries = input.tensor.size();
    if (entries <= kInteractiveEntries) return true;
    const QString size = tr("%1 (%2 entries, %3 MB as f32)")
                             .arg(QString::fromStdString(shape_to_string(input.tensor.shape())))
                             .arg(entries)
                             .arg(double(entries) * 4e-6, 0, 'f', 0);
    if (input.kind != InputKind::image || input.tensor.order() > 3) {
        Q_EMIT failed(tr("%1: %2 is too large for interactive exploring (limit %3 entries). "
                        "Use signcut-cli decompose for batch work.")
                         .arg(path, size)
                         .arg(kInteractiveEntries));
        return false;
    }
    // Pictures are spoken of as width × height, as image viewers do; tensors as rows x columns.
    const QString pixels = tr("%1 × %2 pixels").arg(input.tensor.dim(1)).arg(input.tensor.dim(0));
    const double scale = std::sqrt(double(kInteractiveEntries) / double(entries));
    const auto rows = std::size_t(double(input.tensor.dim(0)) * scale);
    const auto cols = std::size_t(double(input.tensor.dim(1)) * scale);
    if (dialogs_enabled_) {
        const auto answer =
            QMessageBox::question(window_, tr("Large image"),
                                  tr("%1 is %2: %3.\nDecomposing it at full size would be slow and memory hungry.\n\n"
                                     "Downscale it to %4 × %5 pixels?")
                                      .arg(QFileInfo(path).fileName(), pixels, size)
                                      .arg(cols)
                                      .arg(rows),
                                  QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Yes);
        if (answer != QMessageBox::Yes) return false;
    }
    input.tensor = resize_image(input.tensor, rows, cols);
    input.notes.push_back(tr("downscaled to %1 x %2 pixels").arg(cols).arg(rows).toStdString());
    return true;
}

void FileActions::remember_recent(const QString& path) {
    remember_folder(path);
    QSettings settings;
    QStringList recent = settings.value("recent").toStringList();
    recent.removeAll(QFileInfo(path).absoluteFilePath());
    recent.prepend(QFileInfo(path).absoluteFilePath());
    while (recent.size() > kMaxRecent) recent.removeLast();
    settings.setValue("recent", recent);
    rebuild_recent_menu();
}

void FileActions::rebuild_recent_menu() {
    if (!recent_menu_) return;
    recent_menu_->clear();
    const QStringList recent = QSettings().value("recent").toStringList();
    for (const QString& path : recent)
        recent_menu_->addAction(QFileInfo(path).fileName(), this, [this, path] { Q_EMIT open_requested(path); })->setToolTip(path);
    recent_menu_->setEnabled(!recent.isEmpty());
}

}  // namespace signcut::gui
