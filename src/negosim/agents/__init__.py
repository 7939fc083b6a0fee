"""The three sides as Mesa agents: thin shells that call the array-shaped core rules."""

from negosim.agents.china import ChinaAgent
from negosim.agents.japan import JapanAgent
from negosim.agents.us import USAgent

__all__ = ["ChinaAgent", "JapanAgent", "USAgent"]
