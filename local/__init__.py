"""The local stack: emulators, resources, worker loop and demo data. Never deployed."""
