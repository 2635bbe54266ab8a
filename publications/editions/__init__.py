"""The four editions: bulletin (monthly), press kit, policy brief and quarterly PPNE release."""
