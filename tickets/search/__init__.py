"""Finding any ticket: one box (number or its start, phone, caller name, words), filters, keyset pages, export."""
