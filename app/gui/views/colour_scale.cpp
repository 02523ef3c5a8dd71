#include "views/colour_scale.h"

#include <QCoreApplication>

#include <algorithm>
#include <cmath>
#include <vector>

namespace signcut::gui {

float abs_quantile(const Tensor& tensor, double q) {
    if (tensor.empty()) return 0.0f;
    std::vector<float> magnitudes(tensor.size());
    std::transform(tensor.data().begin(), tensor.data().end(), magnitudes.begin(), [](float x) { return std::abs(x); });
    const auto rank = std::size_t(std::clamp(q, 0.0, 1.0) * double(magnitudes.size() - 1));
    std::nth_element(magnitudes.begin(), magnitudes.begin() + std::ptrdiff_t(rank), magnitudes.end());
    return magnitudes[rank];
}

double fraction_beyond(const Tensor& tensor, float limit) {
    if (tensor.empty()) return 0.0;
    const auto beyond = std::count_if(tensor.data().begin(), tensor.data().end(),
                                      [limit](float x) { return std::abs(x) > limit; });
    return double(beyond) / double(tensor.size());
}

QString scale_note(bool shared, double beyond) {
    const auto tr = [](const char* text) { return QCoreApplication::translate("ColourScale", text); };
    // The numbers first: in a narrow pane the words at the end are the ones elided.
    const QString whose = shared ? tr(" · shared scale") : tr(" · own scale");
    if (beyond <= 0) return tr("none saturated") + whose;
    const QString percent = beyond < 1e-4 ? "< 0.01" : QString::number(100.0 * beyond, 'g', 1);
    return tr("%1 % saturated").arg(percent) + whose;
}

}  // namespace signcut::gui
