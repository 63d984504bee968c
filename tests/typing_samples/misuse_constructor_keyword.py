from tether import Client

client = Client(hom="/tmp/tether")  # error: call-arg
