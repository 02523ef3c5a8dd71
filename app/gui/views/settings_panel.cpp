#include "views/settings_panel.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>

namespace signcut::gui {
namespace {

enum Rule { kBitsPerEntry, kWidth, kTargetError };

}  // namespace

SettingsPanel::SettingsPanel(QWidget* parent) : QWidget(parent) {
    auto* form = new QFormLayout(this);
    rule_ = new QComboBox;
    rule_->addItems({tr("bits per entry"), tr("width (cuts)"), tr("target relative error")});
    rule_->setToolTip(tr("When to stop adding cuts"));
    value_ = new QDoubleSpinBox;
    seed_ = new QSpinBox;
    seed_->setRange(0, 1 << 30);
    seed_->setValue(1);
    seed_->setToolTip(tr("Seed of the random starting signs: the same seed gives the same cuts"));
    colour_ = new QComboBox;
    colour_->addItems({tr("one order-3 tensor"), tr("three channel matrices")});
    colour_->setToolTip(
        tr("Decompose the colour image as one height × width × 3 tensor (cuts carry a colour sign "
           "vector), or each colour channel as its own matrix (three times the cuts at the same width)"));
    precision_ = new QComboBox;
    precision_->addItems({"f32", "f16", "bf16"});
    precision_->setToolTip(tr("Storage precision of the coefficients c_j"));
    outliers_ = new QComboBox;
    outliers_->addItems({tr("auto"), tr("none (plain cuts)")});
    outliers_->setToolTip(
        tr("Entries kept apart from the cuts and stored exactly (index and value, their bits counted): "
           "auto keeps apart each entry that buys more error per bit than a cut, which on trained weights "
           "with a few large entries keeps the error curve falling; none runs the plain algorithm"));
    auto* restart = new QPushButton(tr("Restart  (F5)"));
    form->addRow(tr("Stop at"), rule_);
    form->addRow("", value_);
    form->addRow(tr("Seed"), seed_);
    form->addRow(tr("Colour"), colour_);
    form->addRow(tr("Coefficients"), precision_);
    form->addRow(tr("Outliers apart"), outliers_);
    form->addRow(restart);
    connect(rule_, &QComboBox::currentIndexChanged, this, [this] { update_value_range(); });
    connect(restart, &QPushButton::clicked, this, &SettingsPanel::restart_requested);
    update_value_range();
    value_->setValue(16.0);
}

void SettingsPanel::update_value_range() {
    switch (rule_->currentIndex()) {
        case kBitsPerEntry:
            value_->setDecimals(2);
            value_->setRange(0.01, 64.0);
            value_->setSingleStep(0.5);
            value_->setValue(16.0);
            value_->setSuffix(tr(" bits"));
            break;
        case kWidth:
            value_->setDecimals(0);
            value_->setRange(1, 1e6);
            value_->setSingleStep(100);
            value_->setValue(1000);
            value_->setSuffix(tr(" cuts"));
            break;
        default:
            value_->setDecimals(4);
            value_->setRange(0.0001, 0.9999);
            value_->setSingleStep(0.01);
            value_->setValue(0.01);
            value_->setSuffix("");
            break;
    }
}

DecomposeOptions SettingsPanel::options() const {
    DecomposeOptions options;
    switch (rule_->currentIndex()) {
        case kBitsPerEntry:
            options.stop.bits_per_entry = value_->value();
            break;
        case kWidth:
            options.stop.width = std::size_t(value_->value());
            break;
        default:
            options.stop.target_relative_error = value_->value();
            break;
    }
    options.seed = std::uint64_t(seed_->value());
    options.precision = CoeffPrecision(precision_->currentIndex());
    options.outliers = {.automatic = outliers_->currentIndex() == 0};
    return options;
}

bool SettingsPanel::split_channels() const { return colour_->isEnabled() && colour_->currentIndex() == 1; }

void SettingsPanel::set_colour_choice_enabled(bool enabled) { colour_->setEnabled(enabled); }

void SettingsPanel::set_width_rule(std::size_t width) {
    rule_->setCurrentIndex(kWidth);
    value_->setValue(double(width));
}

void SettingsPanel::focus_outliers() {
    outliers_->setFocus(Qt::OtherFocusReason);
    outliers_->showPopup();
}

void SettingsPanel::save_settings() const {
    QSettings settings;
    settings.setValue("run/rule", rule_->currentIndex());
    settings.setValue("run/value", value_->value());
    settings.setValue("run/seed", seed_->value());
    settings.setValue("run/colour", colour_->currentIndex());
    settings.setValue("run/precision", precision_->currentIndex());
    settings.setValue("run/outliers", outliers_->currentIndex());
}

void SettingsPanel::load_settings() {
    QSettings settings;
    if (!settings.contains("run/rule")) return;
    rule_->setCurrentIndex(settings.value("run/rule").toInt());
    value_->setValue(settings.value("run/value").toDouble());
    seed_->setValue(settings.value("run/seed").toInt());
    colour_->setCurrentIndex(settings.value("run/colour").toInt());
    precision_->setCurrentIndex(settings.value("run/precision").toInt());
    outliers_->setCurrentIndex(settings.value("run/outliers", 0).toInt());
}

}  // namespace signcut::gui
