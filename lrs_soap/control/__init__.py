"""What a test harness steers: the clock, resets, fixtures, batch timing, injected faults.

A face like soap/: the CLI, the admin HTTP API and the pytest plugin call it; it calls the
service layer (fixtures load through the same rules as every other face) and the store's
control tables. See README "Testing against lrs-soap".
"""
