worker_privileged = true
