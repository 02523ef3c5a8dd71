#pragma once
// A vector of ±1 drawn as a strip of cells (+1 red, −1 blue), the cells that changed since
// the previous step marked with a dark tick above them.

#include <QWidget>

#include <vector>

namespace signcut::gui {

class SignStrip : public QWidget {
    Q_OBJECT
public:
    explicit SignStrip(QWidget* parent = nullptr);
    void set_signs(const QString& label, const std::vector<std::int8_t>& signs,
                   const std::vector<std::int8_t>& previous);

    QSize sizeHint() const override { return {600, 46}; }
    QSize minimumSizeHint() const override { return {200, 46}; }

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    QString label_;
    std::vector<std::int8_t> signs_, previous_;
};

}  // namespace signcut::gui
