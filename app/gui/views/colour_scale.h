#pragma once
// The colour scale of the heat maps. Trained weights have a few entries far out in the tails:
// scaled to ±max|A| everything else is white. The scale is a high quantile of |A| instead,
// shared by the original, the reconstruction and the residual so that equal colours mean equal
// values; what lies beyond it is drawn saturated, and the legend says how much that is.

#include <QString>

#include "tensor/tensor.h"

namespace signcut::gui {

// The quantile of |x| the scale sits at: 1 entry in 200 may saturate.
constexpr double kScaleQuantile = 0.995;

// The q-quantile of |x| over the entries (0 for an empty tensor).
float abs_quantile(const Tensor& tensor, double q = kScaleQuantile);
// The fraction of the entries with |x| > limit.
double fraction_beyond(const Tensor& tensor, float limit);

// The legend's note under the colour bar: whose scale it is and what it clips, e.g.
// "0.5 % saturated · shared scale" (the entries beyond ±limit, drawn at full colour).
QString scale_note(bool shared, double beyond);

}  // namespace signcut::gui
