"""Who may do what: roles and permissions, accounts, passwords, tokens and sign-in."""
