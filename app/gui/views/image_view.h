#pragma once
// One titled picture, scaled to fit with its aspect ratio kept, with an optional colour
// legend for heat maps.

#include <QImage>
#include <QWidget>

namespace signcut::gui {

class ImageView : public QWidget {
    Q_OBJECT
public:
    explicit ImageView(const QString& title, QWidget* parent = nullptr);

    void set_image(const QImage& image);
    // Shows a diverging colour bar labelled from −limit to +limit; a negative limit hides it.
    void set_legend(double limit);
    void set_title(const QString& title);
    void set_placeholder(const QString& text);
    const QImage& image() const { return image_; }

    QSize sizeHint() const override { return {420, 360}; }
    QSize minimumSizeHint() const override { return {160, 140}; }

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    QString title_, placeholder_;
    QImage image_;
    double legend_limit_ = -1.0;
};

}  // namespace signcut::gui
