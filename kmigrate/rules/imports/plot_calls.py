"""KM107, the calls: legacy Keras drew the layer names in a model plot by default
(`visualize_util.plot` and Keras 2's `plot_model`, `show_layer_names=True`); Keras 3's
`plot_model` does not, so the legacy default is written out and the picture stays the same.
The import of `plot` itself is rewritten with the other import statements (statements.py)."""

from __future__ import annotations

import libcst as cst

from kmigrate import callargs
from kmigrate.rules.imports.common import ImportsBase

# The legacy signature; Keras 3 puts show_dtype fourth, so what follows show_shapes is bound to
# its legacy keyword before the default is written out.
_LEGACY_PARAMETERS = ("model", "to_file", "show_shapes", "show_layer_names", "rankdir", "expand_nested", "dpi")
_FIRST_MOVED = 3


class PlotCalls(ImportsBase):
    """`plot(model, ...)` / `plot_model(model, ...)` from legacy Keras get `show_layer_names=True`."""

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        api = self.ctx.api(original.func)
        if api is None or not api.legacy or api.path != "utils.plot_model":
            return updated
        if callargs.has_star_args(updated) or len(callargs.positionals(updated)) > len(_LEGACY_PARAMETERS):
            return updated
        if not self.ctx.allows("KM107"):
            return updated
        call = updated
        if len(callargs.positionals(updated)) > _FIRST_MOVED:
            call = callargs.bind_positionals(updated, _LEGACY_PARAMETERS, keep=_FIRST_MOVED)
            self.ctx.fixed("KM107", original, "plot arguments after show_shapes passed by keyword (Keras 3 "
                           "has show_dtype fourth)")
        if callargs.keyword(call, "show_layer_names") is None:
            self.ctx.fixed("KM107", original, "show_layer_names=True written out (the legacy default; Keras 3 "
                           "draws no layer names unless asked)")
            call = callargs.add_keyword(call, "show_layer_names", cst.Name("True"))
        return call
