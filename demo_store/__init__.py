"""The bundled demo store website: several chains and stores, prices that move by month."""
