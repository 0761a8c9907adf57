"""hep_ml's bin-flatness loss with each boosting stage counted as progress.

Imported only when a uGB is trained (hep_ml is slow to import). hep_ml's ``fit`` asks the loss for
the tree targets once per stage (``prepare_tree_params``), and has no callback: counting there is
the one place to see its stages go by. The class lives at module level so that a fitted uGB
pickles.
"""

from __future__ import annotations

from hep_ml.losses import BinFlatnessLossFunction

from hepclf.progress import advance


class CountedBinFlatnessLoss(BinFlatnessLossFunction):
    """``hep_ml.losses.BinFlatnessLossFunction`` that counts each stage in the running task."""

    def prepare_tree_params(self, y_pred):
        advance()
        return super().prepare_tree_params(y_pred)
