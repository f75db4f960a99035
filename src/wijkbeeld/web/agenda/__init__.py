"""The agenda app: parties, neighbourhood agendas with versioned items, actions (issue 11)."""
