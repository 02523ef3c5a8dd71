#pragma once
// Help > Tour (also shown once at first start): the formula, the storage count and what the
// chart and views show, in plain words, a page at a time.

#include <QDialog>

class QLabel;
class QPushButton;
class QStackedWidget;

namespace signcut::gui {

class TourDialog : public QDialog {
    Q_OBJECT
public:
    explicit TourDialog(QWidget* parent = nullptr);
    int page_count() const;

private:
    void show_page(int page);

    QStackedWidget* pages_;
    QLabel* position_;
    QPushButton* back_;
    QPushButton* next_;
};

// Help > About: what signcut computes, and the bundled photo's licence.
void show_about(QWidget* parent);

}  // namespace signcut::gui
