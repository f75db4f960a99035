"""Rounds (peilingen) of the urgency ratings: storage, invitations, the respondent form, the
urgency dashboard (issue 6). App label ``rounds``; the analysis itself lives in the core package
:mod:`wijkbeeld.urgency`, which this app feeds with plain data."""
