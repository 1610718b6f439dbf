"""Every published model behind one Ray Serve endpoint."""
