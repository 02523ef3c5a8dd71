#pragma once
// The run settings: stop rule, seed, colour treatment, coefficient precision, entries kept apart.

#include <QWidget>

#include "scd/decomposer.h"

class QComboBox;
class QDoubleSpinBox;
class QSpinBox;

namespace signcut::gui {

class SettingsPanel : public QWidget {
    Q_OBJECT
public:
    explicit SettingsPanel(QWidget* parent = nullptr);

    DecomposeOptions options() const;
    bool split_channels() const;
    // Colour treatment only applies to height × width × 3 images.
    void set_colour_choice_enabled(bool enabled);
    // Forces a width stop rule (used by --width).
    void set_width_rule(std::size_t width);

    // Brings the "Outliers apart" choice forward (from the explanation of a flat curve).
    void focus_outliers();

    void save_settings() const;
    void load_settings();

Q_SIGNALS:
    void restart_requested();

private:
    void update_value_range();

    QComboBox* rule_;
    QDoubleSpinBox* value_;
    QSpinBox* seed_;
    QComboBox* colour_;
    QComboBox* precision_;
    QComboBox* outliers_;
};

}  // namespace signcut::gui
