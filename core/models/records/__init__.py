"""The service records: accounts, clients and their consent, care, coupons, reports, privacy.

Everything here is about people; every read and write of a client's row goes through the use
cases in `services/records/`, which check the caller's role and leave an audit row.
"""
