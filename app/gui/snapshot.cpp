#include "snapshot.h"

#include <QCoreApplication>

#include <algorithm>
#include <cmath>
#include <map>
#include <stdexcept>

#include "methods/method.h"
#include "scd/per_channel.h"

namespace signcut::gui {

// Why a run stopped, in words (the engine's names are identifiers: stop_reason_name).
QString stop_reason_text(const QString& reason) {
    static const std::map<QString, const char*> words = {
        {"width", QT_TRANSLATE_NOOP("Snapshot", "Reached the width asked for")},
        {"bits_per_entry", QT_TRANSLATE_NOOP("Snapshot", "Reached the bit budget")},
        {"target_error", QT_TRANSLATE_NOOP("Snapshot", "Reached the target error")},
        {"exhausted", QT_TRANSLATE_NOOP("Snapshot", "Fitted exactly (nothing left to cut)")},
        {"cancelled", QT_TRANSLATE_NOOP("Snapshot", "Cancelled")},
    };
    const auto found = words.find(reason);
    return found == words.end() ? reason : QCoreApplication::translate("Snapshot", found->second);
}

std::shared_ptr<const Snapshot> Snapshot::loaded(Decomposition decomposition) {
    auto snapshot = std::make_shared<Snapshot>();
    snapshot->cuts = decomposition.width();
    std::vector<Decomposition> parts;
    parts.push_back(std::move(decomposition));
    snapshot->decompositions = std::make_shared<const std::vector<Decomposition>>(std::move(parts));
    snapshot->finished = true;
    snapshot->stop_reason = "loaded";
    return snapshot;
}

double Snapshot::relative_error(std::size_t w) const {
    double residual = 0.0, input = 0.0;
    for (const Decomposition& part : parts()) {
        residual += part.residual_squared_norms()[w];
        input += part.input_squared_norm();
    }
    return input > 0 ? std::sqrt(residual / input) : 0.0;
}

std::uint64_t Snapshot::stored_bytes(std::size_t w) const {
    std::uint64_t bytes = 0;
    for (const Decomposition& part : parts()) bytes += part.stored_bytes(w);
    return bytes;
}

std::size_t Snapshot::entries() const {
    std::size_t n = 0;
    for (const Decomposition& part : parts()) n += part.entries();
    return n;
}

Shape Snapshot::shape() const {
    if (parts().empty()) return {};
    Shape shape = parts().front().shape();
    if (split_channels) shape.push_back(parts().size());
    return shape;
}

NewCuts new_cuts(const Decomposition& d, std::size_t first) {
    NewCuts cuts{d.shape(), d.precision(), d.input_squared_norm(), first, {}, {}, {}, {}, {}, {}, 0.0};
    const std::size_t last = d.width();
    // Entries kept apart at width `first` went with the batch that ended there, unless first is 0.
    const std::size_t sent = first == 0 ? 0 : d.outlier_count(first);
    cuts.outlier_indices.assign(d.outlier_indices().begin() + std::ptrdiff_t(sent), d.outlier_indices().end());
    cuts.outlier_values.assign(d.outlier_values().begin() + std::ptrdiff_t(sent), d.outlier_values().end());
    cuts.outlier_widths.assign(d.outlier_widths().begin() + std::ptrdiff_t(sent), d.outlier_widths().end());
    cuts.residual_at_first = d.residual_squared_norms()[std::min(first, last)];
    if (first >= last) return cuts;
    cuts.coeffs.assign(d.coeffs().begin() + std::ptrdiff_t(first), d.coeffs().end());
    // Cut j's words start at signs(j, 0) and run over every mode (the modes are word-aligned).
    const std::uint64_t* words = d.signs(first, 0).data();
    cuts.sign_words.assign(words, words + (last - first) * d.words_per_cut());
    cuts.residual_squared_norms.assign(d.residual_squared_norms().begin() + std::ptrdiff_t(first + 1),
                                       d.residual_squared_norms().end());
    return cuts;
}

void append(Decomposition& d, const NewCuts& cuts) {
    if (d.width() != cuts.first) throw std::logic_error("append: cuts out of order");
    const std::size_t words = d.words_per_cut();
    std::size_t next = 0;  // the next entry kept apart to add, in the order they were added
    const auto add_outliers_at = [&](std::size_t width, double residual) {
        std::size_t end = next;
        while (end < cuts.outlier_widths.size() && cuts.outlier_widths[end] == width) ++end;
        if (end > next)
            d.add_outliers(std::span(cuts.outlier_indices).subspan(next, end - next),
                           std::span(cuts.outlier_values).subspan(next, end - next), residual);
        next = end;
    };
    add_outliers_at(cuts.first, cuts.residual_at_first);
    for (std::size_t j = 0; j < cuts.coeffs.size(); ++j) {
        d.append(cuts.coeffs[j], std::span(cuts.sign_words).subspan(j * words, words), cuts.residual_squared_norms[j]);
        add_outliers_at(cuts.first + j + 1, cuts.residual_squared_norms[j]);
    }
}

const Tensor& ReconstructionCursor::at(const Snapshot& snapshot, std::size_t w) {
    const auto rebuild = [&](std::size_t from, std::size_t to, Tensor start, float scale) {
        if (snapshot.split_channels) {
            add_channel_cuts(start, snapshot.parts(), from, to, scale);
        } else {
            snapshot.parts().front().add_cuts(start, from, to, scale);
            snapshot.parts().front().add_outliers(start, from, to, scale);
        }
        return start;
    };
    // From nothing: the approximation at width 0 holds the entries kept apart before any cut.
    const auto from_nothing = [&](std::size_t to) {
        if (!snapshot.split_channels) return snapshot.parts().front().reconstruct(to);
        std::vector<Tensor> channels;
        for (const Decomposition& part : snapshot.parts()) channels.push_back(part.reconstruct(to));
        return from_matrices(channels, snapshot.shape());
    };
    if (!valid_ || image_.shape() != snapshot.shape()) {
        image_ = from_nothing(w);
    } else if (w > width_) {
        image_ = rebuild(width_, w, std::move(image_), 1.0f);
    } else if (w < width_) {
        // Going back: subtract the difference, or start over when that is less work.
        image_ = width_ - w <= w ? rebuild(w, width_, std::move(image_), -1.0f)
                                 : from_nothing(w);
    }
    width_ = w;
    valid_ = true;
    return image_;
}

}  // namespace signcut::gui
