"""The documents that go to the QA board and the inspector: the board report (R21) and the evidence pack."""
