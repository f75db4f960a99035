"""Background jobs (issue 10): long work such as report batches and national imports runs in a
separate ``wijkbeeld worker`` process. Jobs, their progress and their results live in the
database, so any number of app servers and workers share them and the app stays stateless."""
