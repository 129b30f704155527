"""Common Dutch given names and surnames for synthetic people (no real persons)."""

FIRST_NAMES = (
    "Anna", "Bas", "Chantal", "Daan", "Esra", "Fleur", "Gijs", "Hanna", "Ibrahim", "Jeroen",
    "Kim", "Lars", "Maud", "Noah", "Olga", "Pieter", "Quinten", "Rachid", "Sophie", "Thijs",
    "Ulla", "Vera", "Wouter", "Yasmina", "Zoë", "Anouk", "Bram", "Cor", "Dewi", "Emre",
    "Femke", "Gerrit", "Hatice", "Ilse", "Jan", "Karin", "Luuk", "Mila", "Nadia", "Omar",
    "Priya", "Roos", "Sem", "Tessa", "Ruben", "Lotte", "Mehmet", "Ingrid", "Koen", "Lieke",
)

LAST_NAMES = (
    "de Jong", "Jansen", "de Vries", "van den Berg", "van Dijk", "Bakker", "Janssen", "Visser",
    "Smit", "Meijer", "de Boer", "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks",
    "van Leeuwen", "Dekker", "Brouwer", "de Wit", "Dijkstra", "Smits", "de Graaf", "van der Meer",
    "Kok", "Jacobs", "de Haan", "Vermeulen", "van den Heuvel", "van der Veen", "van den Broek",
    "Yılmaz", "El Amrani", "Kaya", "Bouzid", "Pinas", "Nguyen", "Willems", "Hermans",
    "Gerritsen", "Verbeek", "Claassen", "Arts", "Wijnen", "Teunissen", "Derksen", "Hol",
)
