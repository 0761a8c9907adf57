"""Physics toy simulators that write the real schemas, built on the kinematics kernels.

Every command has a default at scale without the challenge files: :func:`simulate_higgs` gives
Open Data events (H -> tau tau against Z, W + jets and top), :func:`simulate_flavours` the four
Flavours of Physics tables (tau -> mu mu mu, its background and the Ds -> phi pi control channel).
"""

from hepclf.simulate.flavours import simulate_flavours
from hepclf.simulate.higgs import simulate_higgs, write_higgs_csv

__all__ = ["simulate_flavours", "simulate_higgs", "write_higgs_csv"]
